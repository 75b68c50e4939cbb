#!/usr/bin/env node
console.log('rung: not built yet')
