-- A refused :ScriptContractTest (a script without cases) and :ScriptContractExplore (a
-- configuration with errors) each say why once: the server's message, not the plugin's too.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.record_notifications()
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local script = h.open(workspace .. "/scripts/call_api.py")
  local answered
  require("scriptcontract.cases").test(script, function(answer)
    answered = answer
  end)
  h.wait("the cases' answer", function()
    return answered ~= nil
  end)
  h.facts.cases_error = answered.error
  h.round_trip(script) -- the server's message, sent before its answer, has been handled
  local config = workspace .. "/scriptcontract.toml"
  local lines = vim.fn.readfile(config)
  for index, line in ipairs(lines) do
    lines[index] = line:gsub("^timeout%-ms = 30000", 'timeout-ms = "soon"')
  end
  vim.fn.writefile(lines, config)
  local hello = h.open(workspace .. "/scripts/hello.py")
  h.wait_notification("Invalid scriptcontract configuration")
  answered = nil
  require("scriptcontract.explore").explore(hello, "", function(answer)
    answered = answer
  end)
  h.wait("the exploration's answer", function()
    return answered ~= nil
  end)
  h.facts.explore_error = answered.error
  h.round_trip(hello)
end
