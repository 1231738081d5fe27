-- :ScriptContractDebugCase in a cases file, with nvim-dap's stand-in: the case under the cursor,
-- no prompt; what the plugin hands to nvim-dap and the debug run it sends are recorded for the
-- test to drive the real adapter with. Also :ScriptContractDebugCase with a name, from the script.
return function(h)
  vim.opt.runtimepath:prepend(vim.env.SCRIPTCONTRACT_TEST_STAND_IN_DAP)
  local dap = require("dap")
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  h.answer_prompt(function()
    error("no inputs prompt expected when debugging a case")
  end)
  h.record_notifications()

  local cases = h.open(workspace .. "/scripts/hello.cases.json")
  h.record_debug_runs(cases)
  local lines = vim.api.nvim_buf_get_lines(cases, 0, -1, false)
  local line
  for n, text in ipairs(lines) do
    if text:find('"greets with the inputs file"', 1, true) then
      line = n
    end
  end
  vim.api.nvim_win_set_cursor(0, { line, 0 })
  vim.cmd("ScriptContractDebugCase")
  h.wait("the case's session handed to nvim-dap", function()
    return #dap.handed > 0
  end)

  h.open(workspace .. "/scripts/hello.py")
  vim.cmd("ScriptContractDebugCase greets by name")
  h.wait("the named case's session handed to nvim-dap", function()
    return #dap.handed > 1
  end)
  h.facts.handed = dap.handed
  h.facts.repl_lines = dap.repl_lines
end
