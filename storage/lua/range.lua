-- Reads the records of an index's range in one round trip (read.go): KEYS
-- the index and the kind's records; ARGV from, to, "1" for newest first,
-- the most to return (-1: all) and, optionally, how many of the range to
-- skip first (0 when absent). It returns the records' stored values in
-- index order (false for a member whose record is gone). HMGET goes in
-- slices, since Lua's unpack has a bounded stack.
local skip = ARGV[5] or 0
local ids
if ARGV[3] == '1' then
  ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[2], ARGV[1], 'LIMIT', skip, ARGV[4])
else
  ids = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'LIMIT', skip, ARGV[4])
end
local out = {}
for i = 1, #ids, 1000 do
  local vals = redis.call('HMGET', KEYS[2], unpack(ids, i, math.min(i + 999, #ids)))
  for _, v in ipairs(vals) do out[#out + 1] = v end
end
return out
