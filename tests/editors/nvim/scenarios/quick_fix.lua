-- Apply the first quick fix offered at the first contract diagnostic.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/broken_debug_print.py")
  h.wait_diagnostics("contract diagnostics", bufnr, "scriptcontract")
  -- The example's point: the debug print on stdout, which has a fix.
  local target
  for _, d in ipairs(h.diagnostics(bufnr, "scriptcontract")) do
    local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1]
    if target == nil and line:match('^print%("Starting') then
      target = d
    end
  end
  assert(target, "no diagnostic on the debug print")
  h.facts.target = target
  h.facts.before = h.buffer_text(bufnr)
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
  h.facts.offered = {}
  local chosen = nil
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      table.insert(h.facts.offered, { title = action.title, kind = action.kind })
      if chosen == nil and action.kind == "quickfix" and action.edit ~= nil and not action.title:match("^Ignore") then
        chosen = action.title
        return true
      end
      return false
    end,
  })
  h.wait("the quick fix to change the buffer", function()
    return h.buffer_text(bufnr) ~= h.facts.before
  end)
  h.facts.chosen = chosen
  h.facts.after = h.buffer_text(bufnr)
  h.wait("the fixed diagnostic to go away", function()
    for _, d in ipairs(h.diagnostics(bufnr, "scriptcontract")) do
      if d.code == target.code and d.lnum == target.lnum then
        return false
      end
    end
    return true
  end)
  h.facts.diagnostics_after = h.diagnostics(bufnr, "scriptcontract")
end
