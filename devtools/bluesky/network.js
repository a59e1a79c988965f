// A local AT Protocol network for somevahti's tests and benchmarks: a PLC directory, a PDS and
// (unless --no-appview) the Bluesky AppView on PostgreSQL, all from @atproto/dev-env, all on
// 127.0.0.1. Started by `python -m somevahti.devtools.bluesky`, which passes its settings in
// environment variables and reads the ONE JSON line this prints on stdout when ready.
//
//   BSKY_NET_POSTGRES_URL  the AppView's database (required unless BSKY_NET_APPVIEW=0)
//   BSKY_NET_POSTGRES_SCHEMA  its schema (default appview)
//   BSKY_NET_APPVIEW       "0": no AppView (PLC + PDS only)
//   BSKY_NET_RATE_LIMITS   "1": the PDS enforces its rate limits (as bsky.social does)
//   BSKY_NET_ACCOUNTS      JSON list of {"handle", "password"} to create
//
// Stops cleanly on SIGTERM and SIGINT (closes every server, then exits 0).
'use strict'

const net = require('node:net')

// Every server the dev-env starts listens on a port without a host, i.e. on all interfaces;
// this network is for this machine only, so a listen without a host binds the loopback address.
const LOOPBACK = '127.0.0.1'
const originalListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const first = args[0]
  if (args.length === 0 || typeof first === 'function') {
    args.unshift(0, LOOPBACK)
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, LOOPBACK)
  } else if (first && typeof first === 'object' && first.path === undefined && !first.host) {
    args[0] = { ...first, host: LOOPBACK }
  }
  return originalListen.apply(this, args)
}

// Only the ready line goes to stdout; whatever the servers print goes to stderr.
const ready = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
console.log = console.error
console.info = console.error

const { TestPlc, TestPds, TestBsky, mockNetworkUtilities } = require('@atproto/dev-env')
const getPort = require('get-port')

const local = (port) => `http://${LOOPBACK}:${port}`

async function main () {
  const withAppView = process.env.BSKY_NET_APPVIEW !== '0'
  const accounts = JSON.parse(process.env.BSKY_NET_ACCOUNTS || '[]')
  const servers = []

  const plc = await TestPlc.create({})
  servers.push(plc)
  const pdsPort = await getPort()
  let bsky = null
  if (withAppView) {
    const dbPostgresUrl = process.env.BSKY_NET_POSTGRES_URL
    if (!dbPostgresUrl) throw new Error('BSKY_NET_POSTGRES_URL is not set (the AppView needs PostgreSQL)')
    bsky = await TestBsky.create({
      plcUrl: plc.url,
      pdsPort,
      repoProvider: `ws://localhost:${pdsPort}`,
      dbPostgresUrl,
      dbPostgresSchema: process.env.BSKY_NET_POSTGRES_SCHEMA || 'appview',
      redisHost: '',
      privateKey: '3f916c70dc69e4c5e83877f013325b11ecac31742e6a42f5c4fb240d0703d9d5='
    })
    servers.unshift(bsky)
  }
  const pds = await TestPds.create({
    port: pdsPort,
    didPlcUrl: plc.url,
    rateLimitsEnabled: process.env.BSKY_NET_RATE_LIMITS === '1',
    ...(bsky ? { bskyAppViewUrl: bsky.url, bskyAppViewDid: bsky.ctx.cfg.serverDid } : {})
  })
  servers.unshift(pds)
  mockNetworkUtilities(pds, bsky || undefined)

  let stopping = false
  const stop = async (signal) => {
    if (stopping) return
    stopping = true
    console.error(`bluesky dev network: ${signal}, stopping`)
    for (const server of servers) {
      try { await server.close() } catch (err) { console.error('while stopping:', err) }
    }
    process.exit(0)
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  // The parent going away (its end of stdin closes) stops the network too.
  process.stdin.on('end', () => stop('stdin closed'))
  process.stdin.resume()

  const agent = pds.getClient()
  const created = []
  for (const { handle, password } of accounts) {
    const email = `${handle.split('.')[0]}@example.com`
    const res = await agent.com.atproto.server.createAccount({ handle, email, password })
    created.push({ handle, did: res.data.did, password, email })
  }

  ready({
    pds_url: local(pds.port),
    plc_url: local(plc.port),
    appview_url: bsky ? local(bsky.port) : null,
    appview_did: bsky ? bsky.ctx.cfg.serverDid : null,
    handle_domains: pds.ctx.cfg.identity.serviceHandleDomains,
    admin_password: pds.ctx.cfg.service.devMode ? 'admin-pass' : null,
    accounts: created
  })
}

main().catch((err) => {
  console.error('bluesky dev network failed to start:', err)
  process.exit(1)
})
