-- Library of the directory scripts (directory.go), loaded before each script
-- that uses it (scripts.go). dir_migrate gives a store that has no version
-- yet one: every existing entry logged at version 1. dir_read returns the
-- version and the entries changed since a version, as member, value pairs;
-- a removed entry's value is false. Both take the key names: version, log,
-- people, companies, project names.
local function dir_migrate(kv, kl, kpe, kco, kpr)
  if redis.call('EXISTS', kv) == 1 then return end
  for _, p in ipairs({{kpe, 'person:'}, {kco, 'company:'}, {kpr, 'project:'}}) do
    for _, id in ipairs(redis.call('HKEYS', p[1])) do redis.call('ZADD', kl, 1, p[2] .. id) end
  end
  redis.call('SET', kv, 1)
end
local function dir_read(kv, kl, kpe, kco, kpr, have)
  local v = redis.call('GET', kv)
  if not v then
    dir_migrate(kv, kl, kpe, kco, kpr)
    v = '1'
  end
  local out = {v}
  if tonumber(v) == tonumber(have) then return out end
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', kl, '(' .. have, '+inf')) do
    local kind, id = string.match(m, '^(%a+):(.*)$')
    local k = kpr
    if kind == 'person' then k = kpe elseif kind == 'company' then k = kco end
    out[#out + 1] = m
    out[#out + 1] = redis.call('HGET', k, id)
  end
  return out
end
