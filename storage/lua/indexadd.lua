-- Adds records' index entries while each record is still as it was read
-- (listindex.go): KEYS[1] the kind's records, then the indexes; ARGV, for
-- each record, its ID, its stored value as read, the number of its
-- entries and, for each entry, the KEYS position of its index and its
-- score. It returns the number of entries that were not there yet, then
-- the IDs of the records whose stored value is no longer as read (changed
-- or removed since): they get nothing here, for the caller to read them
-- again and retry.
local added, changed = 0, {}
local i = 1
while i <= #ARGV do
  local id, raw, n = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  i = i + 3
  if redis.call('HGET', KEYS[1], id) == raw then
    for j = 0, n - 1 do
      added = added + redis.call('ZADD', KEYS[tonumber(ARGV[i + 2 * j])], ARGV[i + 2 * j + 1], id)
    end
  else
    changed[#changed + 1] = id
  end
  i = i + 2 * n
end
table.insert(changed, 1, added)
return changed
