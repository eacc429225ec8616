-- Reads the directory's changes (unit.go, reclaim): KEYS the directory's
-- keys, ARGV the version held.
return dir_read(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1])
