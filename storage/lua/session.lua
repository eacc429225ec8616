-- The one reader of a sender's session (session.go): session_read(kpeople,
-- kpick, user) returns {the sender's stored record or false, their pending
-- choice or false}, taking the choice (GETDEL). Session runs it alone
-- (sessionread.lua), and Begin in the claim's script (begin.lua).
local function session_read(kpeople, kpick, user)
  return {redis.call('HGET', kpeople, user), redis.call('GETDEL', kpick)}
end
