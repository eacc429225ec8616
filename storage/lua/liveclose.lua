-- Deletes the liveness entry KEYS[1] if it names ARGV[1] (liveness.go).
if redis.call('HGET', KEYS[1], 'inc') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
