-- No client attached: the commands say why in words that say what to do (a server command
-- Neovim skipped without a word because it is not found; a buffer that is no script).
return function(h)
  h.record_notifications()
  require("scriptcontract").setup({ cmd = { "scriptcontract-absent", "serve" } })
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  vim.cmd("edit " .. vim.fn.fnameescape(workspace .. "/scripts/hello.py"))
  h.facts.filetype = vim.bo.filetype
  for _, command in ipairs({ "ScriptContractRun {}", "ScriptContractTest", "ScriptContractExplore" }) do
    vim.cmd(command)
  end
  h.facts.clients = #vim.lsp.get_clients({ bufnr = 0 })
  -- A server that is there, and a buffer it does not attach to.
  vim.lsp.config("scriptcontract", { cmd = h.server_cmd() })
  vim.cmd("edit " .. vim.fn.fnameescape(workspace .. "/README.md"))
  vim.cmd("ScriptContractRun {}")
end
