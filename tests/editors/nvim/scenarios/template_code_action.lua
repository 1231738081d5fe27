-- "Insert workflow script template" from the code action menu, in a new, empty script.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local path = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/from_code_action.py"
  local bufnr = h.open(path)
  h.wait("contract diagnostics on the empty script", function()
    return #h.diagnostics(bufnr, "scriptcontract") > 0
  end)
  h.facts.before = h.diagnostics(bufnr, "scriptcontract")
  h.facts.offered = {}
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      table.insert(h.facts.offered, { title = action.title, kind = action.kind })
      return action.title == "Insert workflow script template"
    end,
  })
  h.wait("the template in the buffer", function()
    return h.buffer_text(bufnr) ~= ""
  end)
  -- The buffer's lines joined, with the newline the file ends with.
  h.facts.text = h.buffer_text(bufnr) .. "\n"
  h.wait("the diagnostics to go", function()
    return #h.diagnostics(bufnr, "scriptcontract") == 0
  end)
  vim.cmd.write()
  h.facts.path = path
end
