-- "Run with inputs" from the code lens: the prompt starts from the sidecar inputs file and the
-- accepted inputs run; the success shows as a run diagnostic and in the result buffer.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/hello.py")
  h.answer_prompt(function(default)
    return default
  end)
  vim.lsp.codelens.refresh({ bufnr = bufnr })
  h.wait("a code lens", function()
    return #vim.lsp.codelens.get(bufnr) > 0
  end)
  local lens
  for _, item in ipairs(vim.lsp.codelens.get(bufnr)) do
    if item.command and item.command.command == "scriptcontract.run" then
      lens = item
    end
  end
  h.facts.lens_title = lens and lens.command.title
  assert(lens, "no code lens carries scriptcontract.run")
  vim.api.nvim_win_set_cursor(0, { lens.range.start.line + 1, 0 })
  vim.lsp.codelens.run()
  h.wait("the run's diagnostics", function()
    return #h.diagnostics(bufnr, "scriptcontract-run") > 0
  end)
  h.facts.run_diagnostics = h.diagnostics(bufnr, "scriptcontract-run")
  h.wait("the result buffer", function()
    return vim.fn.bufnr("scriptcontract://run/hello.py") ~= -1
  end)
  h.facts.result_lines = vim.api.nvim_buf_get_lines(vim.fn.bufnr("scriptcontract://run/hello.py"), 0, -1, false)
end
