-- Extends the liveness entry KEYS[1] by ARGV[2] ms if it still names the
-- incarnation ARGV[1] (liveness.go). It returns 1, or the incarnation that
-- runs under the name now, or 0 when the entry is gone.
local cur = redis.call('HGET', KEYS[1], 'inc')
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if cur then return cur end
return 0
