-- "Run with inputs" from the code action: the client-side handler prompts (answered with `{}`)
-- and sends scriptcontract.runNow; the run's diagnostics and the result buffer appear.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/broken_no_error_handling.py")
  h.answer_prompt(function()
    return "{}"
  end)
  h.facts.offered = {}
  local chosen = false
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      table.insert(h.facts.offered, action.title)
      if not chosen and action.title:lower():match("run with inputs") then
        chosen = true
        return true
      end
      return false
    end,
  })
  h.facts.run_diagnostics = h.wait_diagnostics("the run's diagnostics", bufnr, "scriptcontract-run")
  local result_buf = vim.fn.bufnr("scriptcontract://run/broken_no_error_handling.py")
  h.wait("the result buffer", function()
    result_buf = vim.fn.bufnr("scriptcontract://run/broken_no_error_handling.py")
    return result_buf ~= -1
  end)
  h.facts.result_lines = vim.api.nvim_buf_get_lines(result_buf, 0, -1, false)
end
