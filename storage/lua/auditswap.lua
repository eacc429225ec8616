-- Replaces the audit stream by its rebuilt copy in one step (secrets.go).
-- KEYS[1]: the audit stream; KEYS[2]: the rebuilt copy, which holds every
-- entry of KEYS[1] up to the one before ARGV[1]. The entries written since
-- the copy was made (from ARGV[1] on, "-" for all) are added to the copy
-- as they are, then the copy takes the stream's place: no entry written
-- meanwhile is lost, and readers see the old stream or the new one.
local rest = redis.call('XRANGE', KEYS[1], ARGV[1], '+')
for _, e in ipairs(rest) do
  redis.call('XADD', KEYS[2], e[1], unpack(e[2]))
end
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('RENAME', KEYS[2], KEYS[1])
return #rest
