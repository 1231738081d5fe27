-- :ScriptContractDebug with inputs the script's declared schema refuses, with nvim-dap's
-- stand-in: the refusal says why, and "Debug anyway" starts the session (as "Run anyway" runs);
-- "Do not debug" starts none.
return function(h)
  vim.opt.runtimepath:prepend(vim.env.SCRIPTCONTRACT_TEST_STAND_IN_DAP)
  local dap = require("dap")
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local schema = { type = "object", required = { "name" }, properties = { name = { type = "string" } } }
  vim.fn.writefile({ vim.json.encode(schema) }, workspace .. "/scripts/hello.schema.json")
  h.record_notifications()
  local hello = h.open(workspace .. "/scripts/hello.py")
  h.record_debug_runs(hello)

  h.choose("Do not debug")
  vim.cmd('ScriptContractDebug {"nam": 3}')
  h.facts.refusal = h.wait_notification("cannot debug hello.py").message
  h.wait("the offer", function()
    return h.facts.offered ~= nil
  end)
  h.facts.declined = h.facts.offered
  h.round_trip(hello)
  h.facts.handed_when_declined = #dap.handed

  h.facts.offered = nil
  h.choose("Debug anyway")
  vim.cmd('ScriptContractDebug {"nam": 3}')
  h.wait("the session handed to nvim-dap", function()
    return #dap.handed > 0
  end)
  h.facts.offered_anyway = h.facts.offered
  h.facts.handed = #dap.handed
end
