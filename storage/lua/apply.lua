-- Writes one command's change atomically (apply.go). It first checks every
-- record against the value the handler read (compare-and-set on the raw
-- JSON), then the undo stack, and only then writes; a failed check returns
-- an error and writes nothing. Every key is passed in KEYS (one hash slot).
--
-- ARGV: the key# and value of a once-only record that, when it already
-- holds that value, shows the script has run before (its first answer
-- lost: the client sent it again) and ends it with ZSDONE ("0" and "" for
-- none), then nchecks, then nchecks x (key#, field, expected or "" for
-- absent), then undo key# (0 for none) and undo entry id, then nclaims,
-- then nclaims x (claims key#, name key, companies key#, company id): a
-- claim fails when the name key is held by another company that still
-- exists (a claim left by a company since removed is taken over), then ops:
-- HSET k f v | HDEL k f | ZADD k score m | ZREM k m |
-- XADD k json delivery ("" for none) | PUSHID k max (push the new audit id,
-- keep max entries) | DIR kv kl kpe kco kpr member (log a directory change) |
-- SETPX k v ms | DELIF k v (delete k if it holds v) | HDELIF k f v (delete
-- the field f of hash k if it holds v) | GIVEBACK k n (undo an INCR to n if
-- nothing came after it) | HINCR k f n (add n to the counter f of hash k,
-- removing the field when it reaches 0: the figures' aggregates, aggregate.go).
-- Errors (scripterror.go): ZSDONE, ZSCONFLICT <field, "undo" or
-- "name:" name key>, ZSBADOP <op>.
local dk = tonumber(ARGV[1])
if dk > 0 and redis.call('GET', KEYS[dk]) == ARGV[2] then return redis.error_reply('ZSDONE ran before') end
local i = 4
for c = 1, tonumber(ARGV[3]) do
  local cur = redis.call('HGET', KEYS[tonumber(ARGV[i])], ARGV[i+1])
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
  elseif op == 'HINCR' then
    if redis.call('HINCRBY', k(i+1), ARGV[i+2], ARGV[i+3]) == 0 then redis.call('HDEL', k(i+1), ARGV[i+2]) end
    i = i + 4
  else return redis.error_reply('ZSBADOP ' .. op) end
end
return id
