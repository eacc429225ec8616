-- Moves an outbox item to the dead letters (deadletter.go, Bury), with the
-- destination's configuration error and the admins' alert in the same step.
-- KEYS: 1 queue, 2 messages, 3 dead letters, 4 their IDs, 5 misconfigured
-- destinations, 6 alerts sent. ARGV: 1 the item's ID, 2 the dead letter,
-- 3 the destination to mark misconfigured ("" for none), 4 its error,
-- 5 the alert's field ("" for none), then ID and value of each alert
-- message to queue if that alert was not sent yet.
-- Returns -1 when the item is no longer queued, 1 when the alert was
-- queued, else 0.
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return -1 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[1], ARGV[1])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[5], ARGV[3], ARGV[4]) end
if ARGV[5] == '' or #ARGV < 7 or redis.call('HSETNX', KEYS[6], ARGV[5], ARGV[1]) == 0 then return 0 end
for i = 6, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i])
end
return 1
