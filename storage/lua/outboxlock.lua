-- Takes the outbox worker lock KEYS[1] for ARGV[1] or renews it if ARGV[1]
-- already holds it, for ARGV[2] milliseconds (outbox.go). Returns 1 if held.
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]); return 1
end
return 0
