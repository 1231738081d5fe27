-- "Use .venv/bin/python for runs": a run of uses_fancylib.py misses the module the project's
-- .venv has (the test made both); the quick fix sets run.python for the session, and the same
-- run, again, succeeds.
return function(h)
  h.record_notifications()
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/uses_fancylib.py")
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = "scriptcontract" })[1]
  -- The server reads the settings again after the change: counted, so the second run waits.
  local pulls = 0
  local answer = client.handlers["workspace/configuration"] or vim.lsp.handlers["workspace/configuration"]
  client.handlers["workspace/configuration"] = function(...)
    pulls = pulls + 1
    return answer(...)
  end
  vim.cmd('ScriptContractRun {"name": "ada"}')
  local missing = h.wait_diagnostics("the run's diagnostic", bufnr, "scriptcontract-run")[1]
  h.facts.missing = missing.message
  vim.api.nvim_win_set_cursor(0, { missing.lnum + 1, missing.col })
  local pulled_before = pulls
  h.facts.offered = h.apply_code_action("Use .venv/bin/python for runs")
  h.facts.said = h.wait_notification("runs use").message
  h.facts.settings = client.settings
  h.wait("the server to read the settings again", function()
    return pulls > pulled_before
  end)
  vim.cmd('ScriptContractRun {"name": "ada"}')
  h.facts.result_lines = h.result_lines("uses_fancylib.py", "ADA")
end
