-- Attach to a broken script of examples/ and collect the contract diagnostics that arrive.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/broken_debug_print.py")
  h.wait_diagnostics("contract diagnostics", bufnr, "scriptcontract")
  h.facts.diagnostics = h.diagnostics(bufnr, "scriptcontract")
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = "scriptcontract" })[1]
  h.facts.root_dir = client.root_dir
end
