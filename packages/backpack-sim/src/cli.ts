#!/usr/bin/env node
console.log('rung-sim: not built yet')
