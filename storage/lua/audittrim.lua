-- Trims the history and undo lists (newest first) of the audit entries
-- archived and trimmed from the stream (archive.go). KEYS: the lists.
-- ARGV[1]: the cut-off in milliseconds (an entry ID "ms-seq" with a smaller
-- ms is gone); ARGV[2]: the mark that ends a list whose older entries were
-- archived ("archived:<seconds kept>"). Returns the IDs removed.
local cut = tonumber(ARGV[1])
local removed = 0
for _, k in ipairs(KEYS) do
  local marked = false
  local tail = redis.call('LINDEX', k, -1)
  if tail and string.sub(tail, 1, 9) == 'archived:' then
    redis.call('RPOP', k)
    marked = true
    tail = redis.call('LINDEX', k, -1)
  end
  while tail do
    local ms = tonumber(string.match(tail, '^(%d+)%-'))
    if ms == nil or ms >= cut then break end
    redis.call('RPOP', k)
    removed = removed + 1
    marked = true
    tail = redis.call('LINDEX', k, -1)
  end
  if marked then redis.call('RPUSH', k, ARGV[2]) end
end
return removed
