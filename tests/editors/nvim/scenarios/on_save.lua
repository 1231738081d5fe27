-- With lint.run = "onSave", an edit that breaks the contract shows nothing until :write.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd(), settings = { lint = { run = "onSave" } } })
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/broken_debug_print.py")
  h.round_trip(bufnr)
  -- A second debug print on stdout at the end, where nothing was reported, not saved.
  local last = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, last, last, false, { 'print("an unsaved debug line")' })
  h.facts.inserted_line = last
  -- Give the server every chance to (wrongly) lint the unsaved edit: round trips and more than
  -- any debounce.
  for _ = 1, 3 do
    h.round_trip(bufnr)
    vim.wait(500)
  end
  h.facts.before_write = h.diagnostics(bufnr, "scriptcontract")
  vim.cmd("write")
  h.wait("diagnostics on the saved line", function()
    for _, d in ipairs(h.diagnostics(bufnr, "scriptcontract")) do
      if d.lnum == last then
        return true
      end
    end
    return false
  end)
  h.facts.after_write = h.diagnostics(bufnr, "scriptcontract")
end
