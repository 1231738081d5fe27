-- Mistakes in setup() are said, each, and left out: the valid options still apply and the
-- server starts (an error would have stopped the rest of the user's init.lua).
return function(h)
  local messages = {}
  local notify = vim.notify
  vim.notify = function(message, level)
    table.insert(messages, { message = message, level = level })
  end
  require("scriptcontract").setup({
    cmd = h.server_cmd(),
    codelense = false,
    result = "popup",
    inline_result = "no",
    codelens = false,
  })
  require("scriptcontract").setup("scriptcontract serve")
  vim.notify = notify
  h.facts.messages = messages
  h.facts.config = vim.deepcopy(require("scriptcontract").config)
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/hello.py")
  h.round_trip(bufnr)
  h.facts.attached = #vim.lsp.get_clients({ bufnr = bufnr, name = "scriptcontract" })
  local later = {}
  vim.notify = function(message)
    table.insert(later, message)
  end
  require("scriptcontract").setup({ cmd = "scriptcontract serve", enable = false })
  require("scriptcontract").setup({ cmd = { "scriptcontract", 5 }, enable = false })
  vim.notify = notify
  h.facts.cmd_messages = later
end
