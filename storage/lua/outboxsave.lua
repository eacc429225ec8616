-- Updates an outbox item only while it is still queued (outbox.go, Save):
-- KEYS[1] the messages, ARGV the item's ID and value. Returns 1 if saved.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]); return 1
end
return 0
