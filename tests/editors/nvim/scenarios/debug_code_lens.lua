-- "Debug with inputs" from the code lens, with nvim-dap's stand-in: the prompt starts from the
-- sidecar inputs file; what the plugin hands to nvim-dap (adapter, configuration) and the
-- debug run it sends are recorded for the test to drive the real adapter with; ending the
-- session cancels the run.
return function(h)
  vim.opt.runtimepath:prepend(vim.env.SCRIPTCONTRACT_TEST_STAND_IN_DAP)
  local dap = require("dap")
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/hello.py")
  h.record_debug_runs(bufnr)
  h.answer_prompt(function(default)
    return default
  end)
  h.record_notifications()
  vim.lsp.codelens.refresh({ bufnr = bufnr })
  local lens
  h.wait("the Debug with inputs lens", function()
    for _, item in ipairs(vim.lsp.codelens.get(bufnr)) do
      if item.command and item.command.command == "scriptcontract.debug" then
        lens = item
      end
    end
    return lens ~= nil
  end)
  vim.api.nvim_win_set_cursor(0, { lens.range.start.line + 1, 0 })
  h.choose("Debug with inputs") -- the cases' lenses share its line
  vim.lsp.codelens.run()
  h.wait("the session handed to nvim-dap", function()
    return #dap.handed > 0
  end)
  h.facts.handed = dap.handed
  h.facts.repl_lines = dap.repl_lines
  -- The user stops the session: the run is cancelled, and the plugin says it ended.
  dap.terminate()
  h.wait("the run to end", function()
    for _, item in ipairs(h.facts.notifications) do
      if item.message:find("its debug run was cancelled", 1, true) then
        return true
      end
    end
    return false
  end)
end
