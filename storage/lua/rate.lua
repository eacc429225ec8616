-- Takes one send within WeCom's rolling rate limits (outbox.go). KEYS: the
-- send-time windows of each destination the send counts against (sorted
-- sets scored by milliseconds). ARGV[1]: now in milliseconds; ARGV[2]: the
-- window in milliseconds; ARGV[3]: the sends a window takes; ARGV[4]: a
-- member naming this send. A send older than the window is forgotten. When
-- every window has room, the send is recorded in all of them and 0 is
-- returned; else nothing is recorded and the answer is the millisecond at
-- which the fullest window has room again.
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local free = 0
for _, k in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', k, '-inf', now - window)
  local n = redis.call('ZCARD', k)
  if n >= limit then
    local s = redis.call('ZRANGE', k, n - limit, n - limit, 'WITHSCORES')
    local at = tonumber(s[2]) + window
    if at > free then free = at end
  end
end
if free > 0 then return free end
for _, k in ipairs(KEYS) do
  redis.call('ZADD', k, now, ARGV[4])
  redis.call('PEXPIRE', k, window)
end
return 0
