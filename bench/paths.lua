-- wrk script: walk the request paths listed (one per line) in the file named by WRK_PATHS; each wrk thread
-- starts at its own place in the list, so that with a long list no two requests ask the same thing.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  paths[#paths + 1] = line
end
local threads = 0

function setup(thread)
  thread:set("offset", threads * math.floor(#paths / 2))
  threads = threads + 1
end

local counter = 0

function request()
  counter = counter + 1
  return wrk.format("GET", paths[((offset or 0) + counter - 1) % #paths + 1])
end
