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
  h.facts.result_lines = h.result_lines("hello.py", "Hello")
  -- A success is not a diagnostic (not a problem): an inlay hint beside the entry line.
  h.facts.run_diagnostics = h.diagnostics(bufnr, "scriptcontract-run")
  h.facts.inlay_hints = h.inlay_hints(bufnr)
  h.facts.entry_line = lens.range.start.line
end
