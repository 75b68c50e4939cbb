/**
 * WebSocket payload fixtures. The §6.7 ones are the official Rust client's
 * unit-test payloads quoted in the API reference (data part only); the others
 * are built from the key tables of reference §6.5 / §6.6, with the
 * number-or-string variants §6.4 says to accept.
 */

/** Reference §6.7: order update, trigger placed (`q` "0", `Y`, `t` null). */
export const ORDER_TRIGGER_PLACED = `{"E":1748288167010366,"O":"USER","P":"178.05","Q":"0","S":"Ask","T":1748288167009460,"V":"RejectTaker","X":"TriggerPending","Y":"20.03","Z":"0","e":"triggerPlaced","f":"GTC","i":"114575813313101824","o":"LIMIT","p":"178.15","q":"0","r":false,"s":"SOL_USDC","t":null,"z":"0"}`

/** Reference §6.7: order update, accepted (`Q` present on a LIMIT order). */
export const ORDER_ACCEPTED = `{"E":1748288615134547,"O":"USER","Q":"3568.3445","S":"Ask","T":1748288615133255,"V":"RejectTaker","X":"New","Z":"0","e":"orderAccepted","f":"GTC","i":"114575842681290753","o":"LIMIT","p":"178.15","q":"20.03","r":false,"s":"SOL_USDC","t":null,"z":"0"}`

/** Reference §6.7: cancelled trigger with a percentage trigger quantity. */
export const ORDER_CANCELLED_PERCENT = `{"B":"LastPrice","E":1748289564405220,"O":"USER","P":"178.55","S":"Ask","T":1748289564404373,"V":"RejectTaker","X":"Cancelled","Y":"80%","Z":"0","e":"orderCancelled","f":"GTC","i":"114575904705282048","o":"MARKET","q":"0","r":false,"s":"SOL_USDC","t":null,"z":"0"}`

/** Reference §6.7: mark price with a long funding rate. */
export const MARK_PRICE = `{"E":1747291031914525,"T":1747291031910025,"e":"markPrice","f":"-0.0000039641039274236048482914","i":"173.44031179","n":1747296000000,"p":"173.35998175","s":"SOL_USDC_PERP"}`

/** Reference §6.7: REST depth snapshot ("18.70" with quantity "0.000"). */
export const DEPTH_SNAPSHOT = `{"asks":[["18.70","0.000"]],"bids":[["18.67","0.832"]],"lastUpdateId":"94978271","timestamp":1694687965941000}`

/** bookTicker with `u` as a string (docs) and E/T as numbers. */
export const BOOK_TICKER = `{"e":"bookTicker","E":1694687692980000,"s":"SOL_USDC","a":"18.70","A":"1.000","b":"18.67","B":"2.000","u":"111063070525358080","T":1694687692989999}`

/** bookTicker as ccxt captured it: `u` a number, E/T strings. */
export const BOOK_TICKER_CCXT = `{"e":"bookTicker","E":"1759338824897386","s":"SOL_USDC","a":"18.70","A":"1.000","b":"18.67","B":"2.000","u":1504999670,"T":"1759338824897000"}`

/** A depth delta. */
export const DEPTH = `{"e":"depth","E":1694687965941000,"s":"SOL_USDC","a":[["18.70","0.000"]],"b":[["18.67","0.832"],["18.68","0.800"]],"U":94978271,"u":94978273,"T":1694687965940999}`

/** A trade. */
export const TRADE = `{"e":"trade","E":1694688638091000,"s":"SOL_USDC","p":"18.68","q":"0.122","b":"111063114377265150","a":"111063114585735170","t":12345,"T":1694688638089000,"m":true}`

/** A 24 h ticker. */
export const TICKER = `{"e":"ticker","E":1694687692980000,"s":"SOL_USDC","o":"18.75","c":"19.24","h":"19.80","l":"18.50","v":"32123","V":"928190","n":93828}`

/** A kline with ISO times. */
export const KLINE = `{"e":"kline","E":1694687692980000,"s":"SOL_USD","t":"2025-08-06T22:00:00","T":"2025-08-06T22:01:00","o":"18.75","c":"19.25","h":"19.80","l":"18.50","v":"32123","n":93828,"X":false}`

/** Open interest. */
export const OPEN_INTEREST = `{"e":"openInterest","E":1694687692980000,"s":"SOL_USDC_PERP","o":"100"}`

/** Liquidation. */
export const LIQUIDATION = `{"e":"liquidation","E":1694687692980000,"q":"10","p":"18.70","S":"Bid","s":"SOL_USDC_PERP","T":1694687692979000}`

/** Position update with numbers (docs' example style) and `i` a number (ccxt). */
export const POSITION_NUMBERS = `{"e":"positionAdjusted","E":1694687692980000,"s":"SOL_USDC_PERP","b":123,"B":122.5,"f":0.5,"M":122,"m":0.01,"q":5,"Q":6,"n":612.5,"i":1111343026172067,"p":"-1","P":"-1","T":1694687692989999,"l":0}`

/** Position snapshot entry right after subscribing: no `e`. */
export const POSITION_INITIAL = `{"E":1694687692980000,"s":"SOL_USDC_PERP","B":"122.5","q":"-5","i":"1111343026172067","T":1694687692989999}`

/** RFQ update with ms deadlines. */
export const RFQ = `{"e":"rfqActive","E":1730225420369829,"R":"113392053149171712","C":"1234","s":"SOL_USDC_RFQ","S":"Bid","q":"10","w":1730225480368,"W":1730225540368,"X":"New","T":1730225420368765}`
