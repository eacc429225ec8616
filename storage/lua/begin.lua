-- Claims a WeCom delivery and reads what its command needs (unit.go, Begin).
-- KEYS delivery, the directory's keys, pick, seq, the people's records, and
-- the records of the kind to read ahead (absent for none); ARGV pending
-- record, ttl ms, user ("" = none), the directory version held, reserve
-- ("1" or "0"), the liveness entries' prefix, the ID to read ahead. It
-- returns {0, record} for a delivery already claimed, else {1, pick,
-- reserved number, directory changes, the record taken over or false, {the
-- record read ahead or false} or {}, the sender's record or false}. When
-- the project records' key follows (a task or item read ahead), the record
-- read ahead is followed by its project's ID and record: {task, id, project}. The
-- sender and pick are read by session_read, the one session reader.
--
-- A pending record is taken over — replaced by this claim, in this script,
-- so that of two retries at once only one takes it — when it names an
-- instance whose liveness entry no longer names the record's incarnation,
-- and no write of its unit (wrote). The entry's key is built here from the
-- record; it carries the bureau's hash tag, so it is in the slot of the
-- declared keys, as Redis Cluster requires of a script's keys.
local old = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'GET', 'PX', ARGV[2])
local took = false
if old then
  if string.sub(old, 1, 10) ~= '{"owner":"' then return {0, old} end
  local ok, d = pcall(cjson.decode, old)
  if not ok or type(d) ~= 'table' or d.done ~= nil or d.wrote ~= nil or type(d.inst) ~= 'string' or type(d.inc) ~= 'string'
    or redis.call('HGET', ARGV[6] .. d.inst, 'inc') == d.inc then
    return {0, old}
  end
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  took = old
end
local sess, id = {false, false}, false
if ARGV[3] ~= '' then sess = session_read(KEYS[9], KEYS[7], ARGV[3]) end
if ARGV[5] == '1' then id = redis.call('INCR', KEYS[8]) end
local read = {}
if KEYS[10] then read = {redis.call('HGET', KEYS[10], ARGV[7])} end
if KEYS[11] and read[1] then
  local ok, r = pcall(cjson.decode, read[1])
  if ok and type(r) == 'table' and type(r.project) == 'string' and r.project ~= '' then
    read[2], read[3] = r.project, redis.call('HGET', KEYS[11], r.project)
  end
end
return {1, sess[2], id, dir_read(KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[4]), took, read, sess[1]}
