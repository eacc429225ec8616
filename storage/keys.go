package storage

import "zsbot"

// keys builds every Redis key of one bureau. All of them share the hash tag
// {bureau}, so multi-key transactions and scripts work on Redis Cluster.
// Every key the program uses is named here and nowhere else.
type keys struct {
	prefix string // "zs:{default}:"
}

func newKeys(bureau string) keys { return keys{prefix: "zs:{" + bureau + "}:"} }

// pattern matches every key of the bureau (for backup and export).
func (k keys) pattern() string { return k.prefix + "*" }

// restoreArea is where a restore stages the keys it loads before it swaps
// them in (restore.go); scanKeys, and so backups, never see it.
func (k keys) restoreArea() string { return k.prefix + "restore:" }

// restoreStage is the staging name of key (a key of the bureau) in the
// restore run.
func (k keys) restoreStage(run, key string) string {
	return k.prefix + "restore:" + run + ":" + key[len(k.prefix):]
}

// Records: one hash per kind, field = record ID, value = JSON.
func (k keys) records(kind zsbot.Kind) string { return k.prefix + "rec:" + string(kind) }

// seq is the INCR counter behind the IDs of kind.
func (k keys) seq(kind zsbot.Kind) string { return k.prefix + "seq:" + string(kind) }

// names is a hash of the compact names of projects or companies (NameRef).
func (k keys) names(kind zsbot.Kind) string { return k.prefix + "names:" + string(kind) }

// nameClaims is the hash of company names claimed: field = the name's key
// (zsbot.NameKey), value = the ID of the one company that holds it
// (nameclaim.go).
func (k keys) nameClaims() string { return k.prefix + "nameclaim:company" }

// dirVersion counts the changes of the directory (people, companies,
// project names); dirLog scores each entry by the version of its last
// change (directory.go).
func (k keys) dirVersion() string { return k.prefix + "dir:version" }
func (k keys) dirLog() string     { return k.prefix + "dir:log" }

// index is a sorted set of record IDs scored by a date (YYYYMMDD).
func (k keys) index(name string) string { return k.prefix + "idx:" + name }

// agg is a bucket of the figures' aggregates (aggregate.go): name is
// "d:YYYYMMDD" (a day) or "m:YYYYMM" (a month), a hash of counters.
func (k keys) agg(name string) string { return k.prefix + "agg:" + name }

// aggPattern matches every bucket of the aggregates.
func (k keys) aggPattern() string { return k.prefix + "agg:*" }

// aggChain is a company's visits (activity IDs scored by day), whose order
// tags each visit with the day of the previous one (zsbot.ChainFields).
func (k keys) aggChain(company string) string { return k.prefix + "aggv:" + company }

// aggChainPattern matches every company's visits.
func (k keys) aggChainPattern() string { return k.prefix + "aggv:*" }

// aggUnits is a hash of each project's owner and park ("owner\tpark"): what
// figures by park or officer need of the projects the aggregates name.
func (k keys) aggUnits() string { return k.prefix + "aggp" }

// aggVersion holds the layout version of the aggregates once they were
// built from the records in that layout; the figures read them only then.
func (k keys) aggVersion() string { return k.prefix + "aggversion" }

// audit is the append-only stream of audit entries.
func (k keys) audit() string { return k.prefix + "audit" }

// auditRebuild is where the audit stream is rebuilt (masking secrets)
// before it replaces audit (secrets.go).
func (k keys) auditRebuild() string { return k.prefix + "audit:rebuild" }

// undo is a user's stack of audit entry IDs that may still be undone.
func (k keys) undo(userID string) string { return k.prefix + "undo:" + userID }

// history is a project's list of audit entry IDs, newest first.
func (k keys) history(project string) string { return k.prefix + "hist:" + project }

// pick is a user's pending numbered choice (TTL 10 minutes).
func (k keys) pick(userID string) string { return k.prefix + "pick:" + userID }

// delivery is the once-only record of one inbound WeCom delivery (TTL).
func (k keys) delivery(id string) string { return k.prefix + "dlv:" + id }

// live is the liveness entry of a serving process, by the name it runs
// as: a hash whose field inc names the incarnation now running under that
// name, refreshed while it runs (TTL; liveness.go).
func (k keys) live(instance string) string { return k.prefix + "live:" + instance }

// greeting is the claim that user was greeted on day (TTL).
func (k keys) greeting(day, user string) string { return k.prefix + "greet:" + day + ":" + user }

// outbox keys: the queue of due times, the messages, the ID counter.
func (k keys) outboxQueue() string { return k.prefix + "outbox:queue" }
func (k keys) outboxMsgs() string  { return k.prefix + "outbox:msgs" }
func (k keys) outboxSeq() string   { return k.prefix + "outbox:seq" }

// Dead letters: the items by ID (a hash) and their IDs in order (a
// sorted set); the destinations WeCom refuses for their configuration
// (destination → the error, until a send there succeeds or its dead
// letters are dropped); the alerts admins were sent ("dest|cause").
func (k keys) outboxDead() string    { return k.prefix + "outbox:dead" }
func (k keys) outboxDeadIDs() string { return k.prefix + "outbox:deadids" }
func (k keys) outboxMisconf() string { return k.prefix + "outbox:misconf" }
func (k keys) outboxAlerts() string  { return k.prefix + "outbox:alerts" }

// outboxLock serialises the outbox worker across instances (TTL).
func (k keys) outboxLock() string { return k.prefix + "outbox:lock" }

// rate is a destination's sends within WeCom's rolling rate window: a
// sorted set scored by the time of each send in milliseconds (TTL).
func (k keys) rate(dest string) string { return k.prefix + "rate:" + dest }

// token caches a WeCom access token (TTL from WeCom's expires_in).
func (k keys) token(name string) string { return k.prefix + "token:" + name }

// probe is the key of the write probe (TTL; DB.ProbeWrite).
func (k keys) probe() string { return k.prefix + "probe" }

// claim marks one occurrence of a scheduled notice as taken (TTL).
func (k keys) claim(notice, occurrence string) string {
	return k.prefix + "claim:" + notice + ":" + occurrence
}
