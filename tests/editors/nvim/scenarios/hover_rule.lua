-- Neovim 0.11 does not show a diagnostic's rule link (no codeDescription support): hover
-- over a finding gives the rule's summary and link.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/broken_debug_print.py")
  local target
  h.wait("the stray print's finding", function()
    for _, d in ipairs(h.diagnostics(bufnr, "scriptcontract")) do
      if d.code == "SCR105" then
        target = d
      end
    end
    return target ~= nil
  end)
  h.facts.target = target
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col + 1 })
  h.facts.hover_lines = h.hover_lines()
end
