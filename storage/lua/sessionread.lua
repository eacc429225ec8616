-- A sender's session alone (session.go, Session): KEYS the people's records
-- and the sender's pick; ARGV the sender.
return session_read(KEYS[1], KEYS[2], ARGV[1])
