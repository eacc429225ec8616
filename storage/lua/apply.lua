-- Writes one command's change atomically (apply.go). It first checks every
-- record against the value the handler read (compare-and-set on the raw
-- JSON), then the undo stack, and only then writes; a failed check returns
-- an error and writes nothing. Every key is passed in KEYS (one hash slot).
--
-- ARGV: the key# and value of a once-only record that, when it already
-- holds that value, shows the script has run before (its first answer
-- lost: the client sent it again) and ends it with ZSDONE ("0" and "" for
-- none), then nchecks, then nchecks x (key#, field, expected or "" for
-- absent; field "\0#": the sorted set's size), then undo key# (0 for none) and undo entry id, then nclaims,
-- then nclaims x (claims key#, name key, companies key#, company id): a
-- claim fails when the name key is held by another company that still
-- exists (a claim left by a company since removed is taken over), then ops:
-- HSET k f v | HDEL k f | ZADD k score m | ZREM k m |
-- XADD k json delivery ("" for none) | PUSHID k max (push the new audit id,
-- keep max entries) | DIR kv kl kpe kco kpr member (log a directory change) |
-- SETPX k v ms | DELIF k v (delete k if it holds v) | HDELIF k f v (delete
-- the field f of hash k if it holds v) | GIVEBACK k n (undo an INCR to n if
-- nothing came after it) | HINCR k f n (add n to the counter f of hash k,
-- removing the field when it reaches 0: the figures' aggregates, aggregate.go) |
-- PINCR k1 k2 k3 units project field n (HINCR of field in the three
-- buckets, its NUL replaced by the project's park from units) |
-- AGGV k layout n key#... (set k to layout when k is absent and none of the
-- n keys exists: a new bureau's aggregates are built from its first write) |
-- VADD k id day prefix | VDEL k id prefix (put a visit into, or take it out
-- of, its company's chain k, a sorted set by day, and move the tags of the
-- visits it touches: each visit counts under the day of the company's
-- previous visit, in the hashes prefix..'k:'..bucket (field: the previous
-- visit's yyyymm) and prefix..'kd:'..bucket..':'..yyyymm (field: its day),
-- for the visit's day, month and year; zsbot.ChainFields names the same).
-- Errors (scripterror.go): ZSDONE, ZSCONFLICT <field, "undo" or
-- "name:" name key>, ZSBADOP <op>.
local dk = tonumber(ARGV[1])
if dk > 0 and redis.call('GET', KEYS[dk]) == ARGV[2] then return redis.error_reply('ZSDONE ran before') end
local i = 4
for c = 1, tonumber(ARGV[3]) do
  local cur
  if ARGV[i+1] == '\0#' then cur = tostring(redis.call('ZCARD', KEYS[tonumber(ARGV[i])]))
  else cur = redis.call('HGET', KEYS[tonumber(ARGV[i])], ARGV[i+1]) end
  if cur == false then cur = '' end
  if cur ~= ARGV[i+2] then
    return redis.error_reply('ZSCONFLICT ' .. ARGV[i+1])
  end
  i = i + 3
end
local uk = tonumber(ARGV[i])
if uk > 0 then
  if redis.call('LREM', KEYS[uk], 1, ARGV[i+1]) == 0 then
    return redis.error_reply('ZSCONFLICT undo')
  end
end
i = i + 2
local nclaims = tonumber(ARGV[i])
i = i + 1
for c = 1, nclaims do
  local holder = redis.call('HGET', KEYS[tonumber(ARGV[i])], ARGV[i+1])
  if holder and holder ~= ARGV[i+3] and redis.call('HEXISTS', KEYS[tonumber(ARGV[i+2])], holder) == 1 then
    return redis.error_reply('ZSCONFLICT name:' .. ARGV[i+1])
  end
  i = i + 4
end
local id = ''
local function k(n) return KEYS[tonumber(ARGV[n])] end
local function hincr(key, field, n)
  if redis.call('HINCRBY', key, field, n) == 0 then redis.call('HDEL', key, field) end
end
-- chain_tag counts n visits on day under the previous visit's day prev.
local function chain_tag(prefix, day, prev, n)
  local pm = string.format('%d', math.floor(prev / 100))
  local buckets = {'d:' .. string.format('%d', day), 'm:' .. string.format('%d', math.floor(day / 100)),
    'y:' .. string.format('%d', math.floor(day / 10000))}
  for _, b in ipairs(buckets) do
    hincr(prefix .. 'k:' .. b, pm, n)
    if prev > 0 then hincr(prefix .. 'kd:' .. b .. ':' .. pm, string.format('%d', prev % 100), n) end
  end
end
-- chain_near returns the days of the visits before (0: none) and after
-- (nil: none) rank r of chain z.
local function chain_near(z, r)
  local prev, nxt = 0, nil
  if r > 0 then prev = tonumber(redis.call('ZRANGE', z, r - 1, r - 1, 'WITHSCORES')[2]) end
  local after = redis.call('ZRANGE', z, r + 1, r + 1, 'WITHSCORES')
  if after[2] then nxt = tonumber(after[2]) end
  return prev, nxt
end
while i <= #ARGV do
  local op = ARGV[i]
  if op == 'HSET' then redis.call('HSET', k(i+1), ARGV[i+2], ARGV[i+3]); i = i + 4
  elseif op == 'HDEL' then redis.call('HDEL', k(i+1), ARGV[i+2]); i = i + 3
  elseif op == 'ZADD' then redis.call('ZADD', k(i+1), ARGV[i+2], ARGV[i+3]); i = i + 4
  elseif op == 'ZREM' then redis.call('ZREM', k(i+1), ARGV[i+2]); i = i + 3
  elseif op == 'XADD' then
    if ARGV[i+3] == '' then id = redis.call('XADD', k(i+1), '*', 'e', ARGV[i+2])
    else id = redis.call('XADD', k(i+1), '*', 'e', ARGV[i+2], 'm', ARGV[i+3]) end
    i = i + 4
  elseif op == 'PUSHID' then
    redis.call('LPUSH', k(i+1), id); redis.call('LTRIM', k(i+1), 0, tonumber(ARGV[i+2]) - 1); i = i + 3
  elseif op == 'DIR' then
    dir_migrate(k(i+1), k(i+2), k(i+3), k(i+4), k(i+5))
    redis.call('ZADD', k(i+2), redis.call('INCR', k(i+1)), ARGV[i+6]); i = i + 7
  elseif op == 'SETPX' then redis.call('SET', k(i+1), ARGV[i+2], 'PX', ARGV[i+3]); i = i + 4
  elseif op == 'DELIF' then
    if redis.call('GET', k(i+1)) == ARGV[i+2] then redis.call('DEL', k(i+1)) end
    i = i + 3
  elseif op == 'HDELIF' then
    if redis.call('HGET', k(i+1), ARGV[i+2]) == ARGV[i+3] then redis.call('HDEL', k(i+1), ARGV[i+2]) end
    i = i + 4
  elseif op == 'GIVEBACK' then
    if redis.call('GET', k(i+1)) == ARGV[i+2] then redis.call('DECR', k(i+1)) end
    i = i + 3
  elseif op == 'AGGV' then
    -- Mark the aggregates built in this layout when the bureau holds no
    -- record yet: every write from then on keeps them (aggrebuild.go).
    local n = tonumber(ARGV[i+3])
    if redis.call('EXISTS', k(i+1)) == 0 then
      local empty = true
      for j = 1, n do
        if redis.call('EXISTS', KEYS[tonumber(ARGV[i+3+j])]) == 1 then empty = false end
      end
      if empty then redis.call('SET', k(i+1), ARGV[i+2]) end
    end
    i = i + 4 + n
  elseif op == 'HINCR' then hincr(k(i+1), ARGV[i+2], ARGV[i+3]); i = i + 4
  elseif op == 'PINCR' then
    -- A counter by owner whose field names its project's park, read here
    -- from the projects' units ("owner\tpark"; none: "").
    local unit = redis.call('HGET', k(i+4), ARGV[i+5])
    local park = ''
    if unit then park = string.sub(unit, (string.find(unit, '\t', 1, true) or #unit) + 1) end
    local f = ARGV[i+6]
    local at = string.find(f, '\0', 1, true)
    if at then f = string.sub(f, 1, at - 1) .. park .. string.sub(f, at + 1) end
    for j = 1, 3 do hincr(k(i+j), f, ARGV[i+7]) end
    i = i + 8
  elseif op == 'VADD' then
    local z, day = k(i+1), tonumber(ARGV[i+3])
    redis.call('ZADD', z, day, ARGV[i+2])
    local prev, nxt = chain_near(z, redis.call('ZRANK', z, ARGV[i+2]))
    chain_tag(ARGV[i+4], day, prev, 1)
    if nxt then chain_tag(ARGV[i+4], nxt, prev, -1); chain_tag(ARGV[i+4], nxt, day, 1) end
    i = i + 5
  elseif op == 'VDEL' then
    local z = k(i+1)
    local r = redis.call('ZRANK', z, ARGV[i+2])
    if r then
      local day = tonumber(redis.call('ZSCORE', z, ARGV[i+2]))
      local prev, nxt = chain_near(z, r)
      chain_tag(ARGV[i+3], day, prev, -1)
      if nxt then chain_tag(ARGV[i+3], nxt, day, -1); chain_tag(ARGV[i+3], nxt, prev, 1) end
      redis.call('ZREM', z, ARGV[i+2])
    end
    i = i + 4
  else return redis.error_reply('ZSBADOP ' .. op) end
end
return id
