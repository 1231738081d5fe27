-- The lazy.nvim spec of docs/editors/neovim.md, as a user copies it: it names the plugin
-- (lazy.nvim would name it after its folder, "nvim"), and its config starts the server.
return function(h)
  local docs = vim.fs.normalize(vim.env.SCRIPTCONTRACT_NVIM_PLUGIN .. "/../../docs/editors/neovim.md")
  local text = table.concat(vim.fn.readfile(docs), "\n")
  local after = assert(text:find("**lazy.nvim**", 1, true), "no lazy.nvim section in " .. docs)
  local block = assert(text:match("```lua\n(.-)\n```", after), "no lua block after the lazy.nvim heading")
  local spec = assert(load("return " .. block, "lazy spec"))()
  h.facts.name = spec.name
  h.facts.dir = spec.dir
  h.facts.ft = spec.ft
  -- What lazy.nvim does with it: config(plugin, opts). Only the server command is the test's.
  local opts = vim.deepcopy(spec.opts or {})
  opts.cmd = h.server_cmd()
  spec.config(spec, opts)
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/broken_debug_print.py")
  h.wait_diagnostics("contract diagnostics", bufnr, "scriptcontract")
  h.facts.attached = #vim.lsp.get_clients({ bufnr = bufnr, name = "scriptcontract" })
end
