-- POST a new report at a random point of central Marseille, inland of the Vieux-Port
-- (propreté is open to everyone there).
dofile("benchmarks/wrk/report.lua")
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local lon = 5.380 + math.random() * 0.020
  local lat = 43.297 + math.random() * 0.012
  local body = string.format('{"lon": %.6f, "lat": %.6f, "categorie": "proprete", "description": "Banc de charge."}', lon, lat)
  return wrk.format(nil, nil, nil, body)
end
