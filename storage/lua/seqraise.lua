-- Raises the ID counter KEYS[1] to ARGV[1] when it is below (bulk.go: Load
-- of records whose IDs were chosen outside, so that the next NextID or
-- reservation allocates above them). Returns the counter.
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
local want = tonumber(ARGV[1])
if n < want then
  redis.call('SET', KEYS[1], ARGV[1])
  return want
end
return n
