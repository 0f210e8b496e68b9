-- wrk script: walk the request paths listed (one per line) in the file named by WRK_PATHS; each wrk thread
-- starts at its own place in the list, so that with a long list no two requests ask the same thing.
-- With WRK_UNIQUE set (paths ending in a URL-encoded SPARQL query), each request's query also gets a
-- comment of its own ("\n# t-n"): the list may wrap, and still no request is answered from a cache.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  paths[#paths + 1] = line
end
local threads = 0
local unique = os.getenv("WRK_UNIQUE") ~= nil

function setup(thread)
  thread:set("offset", threads * math.floor(#paths / 2))
  thread:set("id", threads)
  threads = threads + 1
end

local counter = 0

function request()
  counter = counter + 1
  local path = paths[((offset or 0) + counter - 1) % #paths + 1]
  if unique then
    path = path .. "%0A%23+" .. (id or 0) .. "-" .. counter
  end
  return wrk.format("GET", path)
end
