-- The project's configuration changes on disk, outside Neovim (which, on Linux, registers
-- no file watchers): the server sees it itself, and the open script's findings follow.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local bufnr = h.open(workspace .. "/scripts/broken_debug_print.py")
  local function codes()
    local found = {}
    for _, d in ipairs(h.diagnostics(bufnr, "scriptcontract")) do
      found[#found + 1] = tostring(d.code)
    end
    table.sort(found)
    return found
  end
  h.wait("contract diagnostics", function()
    return vim.tbl_contains(codes(), "SCR105")
  end)
  h.facts.before = codes()
  local config = workspace .. "/scriptcontract.toml"
  local text = table.concat(vim.fn.readfile(config), "\n")
  -- A top-level key goes before the first table.
  local file = assert(io.open(config, "w"))
  file:write('ignore = ["SCR105"]\n' .. text .. "\n")
  file:close()
  h.wait("the finding the configuration now ignores to go", function()
    return not vim.tbl_contains(codes(), "SCR105")
  end)
  h.facts.after = codes()
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = "scriptcontract" })[1]
  h.facts.dynamic_watchers = vim.tbl_get(
    client.capabilities, "workspace", "didChangeWatchedFiles", "dynamicRegistration"
  ) or false
end
