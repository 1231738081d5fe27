-- "Insert workflow script template" from the code action menu, in a new, empty script.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local path = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/from_code_action.py"
  local bufnr = h.open(path)
  -- A blank file has no finding (the LSP tests show it): the action is offered all the same.
  h.round_trip(bufnr)
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
  vim.cmd.write()
  h.facts.path = path
end
