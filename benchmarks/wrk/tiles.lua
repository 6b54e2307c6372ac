-- Cycles through the tile paths listed in the file named by BENCH_TILE_PATHS, one per request, as a map
-- does when it pans; the result line comes from report.lua.
dofile("benchmarks/wrk/report.lua")

local paths = {}
local counter = 0

init = function(args)
  for line in io.lines(os.getenv("BENCH_TILE_PATHS")) do
    paths[#paths + 1] = line
  end
  -- Threads start at different places so they do not ask the same tile at the same time.
  counter = math.random(#paths)
end

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
