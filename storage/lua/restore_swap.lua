-- restore_swap: replaces a bureau's keys by the keys a restore staged, in
-- one step (storage/restore.go).
-- KEYS: the directory's version, log, people, companies and project names;
-- then the old keys to delete; then pairs of a staged key and its final name.
-- ARGV: the number of old keys; then each final key's TTL in ms (0 = none).
-- Every check comes before the first write, and no command after it can
-- fail on keys of the checked types, so the script replaces all or nothing.
local kv, kl = KEYS[1], KEYS[2]
local nold = tonumber(ARGV[1])
local first = 6 + nold
local npairs = (#KEYS - first + 1) / 2

-- Where each final key comes from: its staged key.
local staged, old = {}, {}
for i = 0, npairs - 1 do
  local s = KEYS[first + 2 * i]
  if redis.call('EXISTS', s) == 0 then
    return redis.error_reply('ZSRESTORE staged key ' .. s .. ' is gone (another restore started?); nothing was changed')
  end
  staged[KEYS[first + 2 * i + 1]] = s
end
for i = 6, first - 1 do old[KEYS[i]] = true end

-- The directory's keys as they will be must be of their types.
local function after(k)
  if staged[k] then return staged[k] end
  if old[k] then return nil end
  return k
end
local want = {[KEYS[1]] = 'string', [KEYS[2]] = 'zset', [KEYS[3]] = 'hash', [KEYS[4]] = 'hash', [KEYS[5]] = 'hash'}
for k, t in pairs(want) do
  for _, src in ipairs({k, after(k)}) do
    local got = redis.call('TYPE', src)['ok']
    if got ~= 'none' and got ~= t then
      return redis.error_reply('ZSRESTORE ' .. k .. ' would be a ' .. got .. ', not a ' .. t .. '; nothing was changed')
    end
  end
end
local function version(k)
  if not k then return 0 end
  local v = redis.call('GET', k)
  if not v then return 0 end
  local n = tonumber(v)
  if not n or n < 0 or n ~= math.floor(n) then
    return redis.error_reply('ZSRESTORE ' .. k .. ' holds ' .. v .. ', not a version; nothing was changed')
  end
  return n
end
local oldv = version(kv)
if type(oldv) == 'table' then return oldv end
local newv = version(after(kv))
if type(newv) == 'table' then return newv end
local oldlog = redis.call('ZRANGE', kl, 0, -1)

-- Writes.
for i = 6, first - 1 do redis.call('DEL', KEYS[i]) end
for i = 0, npairs - 1 do
  local f, ttl = KEYS[first + 2 * i + 1], tonumber(ARGV[2 + i])
  redis.call('RENAME', KEYS[first + 2 * i], f)
  if ttl > 0 then redis.call('PEXPIRE', f, ttl) else redis.call('PERSIST', f) end
end

-- The directory's version moves forward, past the replaced one and the
-- backup's, and every entry the restore may have changed is logged at it:
-- each person, company and project now stored, and each entry of the
-- replaced log (one no longer stored reads as removed). Every process's
-- copy, whatever its version, then takes all of them.
local v = string.format('%d', math.max(oldv, newv) + 1)
for _, m in ipairs(oldlog) do redis.call('ZADD', kl, v, m) end
for _, p in ipairs({{KEYS[3], 'person:'}, {KEYS[4], 'company:'}, {KEYS[5], 'project:'}}) do
  for _, id in ipairs(redis.call('HKEYS', p[1])) do redis.call('ZADD', kl, v, p[2] .. id) end
end
redis.call('SET', kv, v)
return npairs
