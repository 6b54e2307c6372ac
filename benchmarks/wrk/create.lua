-- POST a new report at a random point of central Marseille (propreté is open to everyone there).
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local lon = 5.37 + math.random() * 0.03
  local lat = 43.29 + math.random() * 0.02
  local body = string.format('{"lon": %.6f, "lat": %.6f, "categorie": "proprete", "description": "Banc de charge."}', lon, lat)
  return wrk.format(nil, nil, nil, body)
end
