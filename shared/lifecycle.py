"""An article's status moves that must be atomic, as Lua scripts the store runs.

Each script takes KEYS = [article hash, the status sets in `ArticleStatus` order, metrics hash]
and ARGV[1] = now (unix seconds). Checking a status and moving it in one step is what makes a
redelivered task, two sweepers, or a retry racing a worker leave one consistent state.
"""

from __future__ import annotations

from shared.models import ArticleStatus

_STATUS_INDEX = ", ".join(f"{status.value} = {i + 2}" for i, status in enumerate(ArticleStatus))

_MOVE = f"""
local STATUS = {{{_STATUS_INDEX}}}
local function move(id, status, now)
  for name, index in pairs(STATUS) do
    if name ~= status then redis.call('SREM', KEYS[index], id) end
  end
  redis.call('SADD', KEYS[STATUS[status]], id)
  redis.call('HSET', KEYS[1], 'status', status, 'status_since', now)
end
local METRICS = KEYS[{len(ArticleStatus) + 2}]
"""

# Before running an article. ARGV: now, max attempts, dead-letter error.
# Answers: 'missing' | 'done' (enriched, nothing to do) | 'failed' (dead or failed: only a retry
# revives it) | 'dead' (this delivery dead-lettered it) | 'run' (attempt counted, go ahead).
CLAIM = (
    _MOVE
    + """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if status == 'enriched' then return 'done' end
if status == 'failed' then return 'failed' end
local id = redis.call('HGET', KEYS[1], 'id')
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
if attempts >= tonumber(ARGV[2]) then
  move(id, 'failed', ARGV[1])
  redis.call('HSET', KEYS[1], 'error', ARGV[3])
  redis.call('HINCRBY', METRICS, 'dead_letters_total', 1)
  return 'dead'
end
if attempts > 0 then redis.call('HINCRBY', METRICS, 'task_retries_total', 1) end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
move(id, 'processing', ARGV[1])
return 'run'
"""
)

# The sweeper's claim on a stale article. ARGV: now, expected status, stale before (unix s).
# Answers 1 when the article was still stale in that status and is now `queued` again.
REQUEUE = (
    _MOVE
    + """
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[2] then return 0 end
local since = tonumber(redis.call('HGET', KEYS[1], 'status_since') or '0')
if since > tonumber(ARGV[3]) then return 0 end
move(redis.call('HGET', KEYS[1], 'id'), 'queued', ARGV[1])
redis.call('HINCRBY', METRICS, 'sweeper_requeues_total', 1)
return 1
"""
)

# A user's retry of a failed article. ARGV: now. Answers the status it found ('' when missing);
# only 'failed' was moved (to `queued`, attempts and error cleared).
RETRY = (
    _MOVE
    + """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return '' end
if status ~= 'failed' then return status end
redis.call('HSET', KEYS[1], 'attempts', 0, 'error', '')
move(redis.call('HGET', KEYS[1], 'id'), 'queued', ARGV[1])
return status
"""
)
