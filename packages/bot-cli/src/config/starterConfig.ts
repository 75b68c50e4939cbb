/**
 * The starter config written by `rung init`. JSON has no comments, so the
 * file is JSONC (`rung.config.jsonc`): the bot accepts `//` and `/* *\/`
 * comments and trailing commas in any config file, and a plain JSON file
 * (the classic `backpack_trading_config.json`) is read unchanged.
 */

/** Default file name written by `rung init` and looked up first. */
export const STARTER_CONFIG_NAME = 'rung.config.jsonc'

/** The classic file name, looked up second. */
export const CLASSIC_CONFIG_NAME = 'backpack_trading_config.json'

/** The text of the starter config (every option with its default). */
export const STARTER_CONFIG = `// rung configuration (JSONC: comments and trailing commas are allowed).
// Every option and its default: docs/configuration.md. Run \`rung paper\` to try it
// against the built-in simulator, \`rung run\` to trade for real.
{
  // Keys: prefer BACKPACK_API_KEY / BACKPACK_API_SECRET in the environment, or a key file
  // ({ "apiKey": "...", "secretKey": "..." }, chmod 600). Never commit keys.
  "api": {
    // "keyFile": "~/.config/rung/keys.json",
  },
  "trading": {
    "tradingCoin": "BTC",          // market is <tradingCoin>_USDC
    "maxDropPercentage": 7,        // the lowest rung sits 7 % below the price
    "totalAmount": 2000,           // USDC spent if every rung fills
    "orderCount": 8,               // number of rungs
    "incrementPercentage": 50,     // each rung buys 50 % more than the one above
    "takeProfitPercentage": 0.25,  // sell everything at average entry + 0.25 %
  },
  "actions": {
    // At a fresh start, market-sell every other coin worth >= sellNonUsdcMinValue
    // (never the bot's own position). Off: coins you hold stay yours. Before a live
    // sale each asset is logged; "rung run --dry-run" lists what would be sold.
    "sellNonUsdcAssets": false,
    "cancelAllOrders": true,       // at start, cancel open orders on the market
    "restartAfterTakeProfit": true,
    "autoRestartNoFill": true,     // re-ladder when nothing fills for noFillRestartMinutes
  },
  "advanced": {
    "minOrderAmount": 10,          // smallest order in USDC
    "checkOrdersIntervalMinutes": 10,  // full reconciliation over REST
    "monitorIntervalSeconds": 15,  // REST polling while the stream is down
    "sellNonUsdcMinValue": 10,
    "noFillRestartMinutes": 1,
  },
  "websocket": {
    "url": "wss://ws.backpack.exchange",
    "options": { "reconnect": true, "reconnectInterval": 5000, "maxReconnectAttempts": 5 },
  },
  // New in rung (all optional).
  "bot": {
    "dataDir": ".rung",            // journal, pid file, status, logs/
    "logFormat": "plain",          // plain | json (files under logs/ are always JSON lines)
    "onStop": "cancel",            // Ctrl-C / rung stop: cancel open orders, or "leave" them
  },
  "paper": {
    "seed": 1,                     // same seed, same prices
    "timeScale": 60,               // simulated seconds per real second
    "quoteBalance": "10000",       // USDC in the paper account
  },
}
`
