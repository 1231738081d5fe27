-- A refused :ScriptContractTest (a script without cases) and :ScriptContractExplore (a
-- configuration with errors) each say why once: the server's message, not the plugin's too.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.record_notifications()
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local script = h.open(workspace .. "/scripts/call_api.py")
  local answered = h.answer_of("the cases' answer", function(answer)
    require("scriptcontract.cases").test(script, answer)
  end)
  h.facts.cases_error = answered.error
  h.round_trip(script) -- the server's message, sent before its answer, has been handled
  h.edit_file(workspace .. "/scriptcontract.toml", "^timeout%-ms = 30000", 'timeout-ms = "soon"')
  local hello = h.open(workspace .. "/scripts/hello.py")
  h.wait_notification("Invalid scriptcontract configuration")
  answered = h.answer_of("the exploration's answer", function(answer)
    require("scriptcontract.explore").explore(hello, "", answer)
  end)
  h.facts.explore_error = answered.error
  h.round_trip(hello)
end
