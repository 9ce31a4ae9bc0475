-- nginx + Lua doing the work of the gateway's 401 case, the way Kong's exit transformer does it: a key check
-- that ends the request with {"message": "No API key found in request"}, then a chain of Lua functions
-- function(status, body, headers) -> status, body, headers, each one's output the next one's input:
-- slack_alert (as slack-alert.csx: format a message, queue it) and arr (as arr.csx).
local cjson = require "cjson"

local alerts = ngx.shared.alerts
local _M = {}

local KNOWN_KEY = "bench-key"

-- Transforms/slack-alert.csx: queue "<METHOD> <host><path> → <status>: <message>" for the default destination.
local function slack_alert(status, body, headers)
  local message = (type(body) == "table" and body.message ~= nil and tostring(body.message)) or "(no message)"
  local text = ngx.var.request_method .. " " .. (ngx.var.http_host or "") .. ngx.var.uri .. " → " .. status .. ": " .. message
  local ok = alerts:rpush("slack", text)
  if not ok then
    alerts:incr("dropped", 1, 0)
  end
  return status, body, headers
end

-- Transforms/arr.csx.
local function arr(status, body, headers)
  if type(body) ~= "table" or type(body.message) ~= "string" then
    return status, body, headers
  end
  headers["x-some-header"] = "some value"
  return status, { error = true, status = status, message = body.message .. ", arr!" }, headers
end

local chain = { slack_alert, arr }

-- Runs the chain (a function that errors is logged and skipped) and writes the response once.
local function exit_with(status, body, headers)
  for _, transform in ipairs(chain) do
    local ok, s, b, h = pcall(transform, status, body, headers)
    if ok then
      status, body, headers = s, b, h
    else
      ngx.log(ngx.ERR, "exit transformer failed: ", s)
    end
  end

  local encoded = cjson.encode(body)
  ngx.status = status
  for name, value in pairs(headers) do
    ngx.header[name] = value
  end
  ngx.header["Content-Type"] = "application/json; charset=utf-8"
  ngx.header["Content-Length"] = #encoded
  ngx.print(encoded)
  return ngx.exit(ngx.HTTP_OK)
end

-- access_by_lua: the api-key check. A request with the known key goes on to the upstream.
function _M.check_key()
  local key = ngx.var.http_apikey
  if key == nil or key == "" then
    return exit_with(401, { message = "No API key found in request" }, { ["WWW-Authenticate"] = 'Key realm="gateway"' })
  end
  if key ~= KNOWN_KEY then
    return exit_with(401, { message = "Invalid authentication credentials" }, { ["WWW-Authenticate"] = 'Key realm="gateway"' })
  end
end

-- init_worker_by_lua: the delivery side of the queue. Messages are taken off and dropped, as the gateway's
-- delivery service does with no webhook URL and logging at Warning.
function _M.start_drain()
  if ngx.worker.id() ~= 0 then
    return
  end
  ngx.timer.every(0.05, function()
    while alerts:lpop("slack") do
    end
  end)
end

return _M
