-- :ScriptContractRun with JSON on the command line runs without a prompt.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/hello.py")
  h.answer_prompt(function()
    error("no prompt expected when the inputs are given")
  end)
  vim.cmd('ScriptContractRun {"name": "Neovim"}')
  h.facts.result_lines = h.result_lines("hello.py", "Hello, Neovim!")
  h.wait("the success beside the entry line", function()
    return #h.inlay_hints(bufnr) > 0
  end)
  h.facts.inlay_hints = h.inlay_hints(bufnr)
  -- Invalid JSON is refused with a message, nothing is sent.
  local messages = {}
  vim.notify = function(message)
    table.insert(messages, message)
  end
  vim.cmd("ScriptContractRun [1, 2]")
  h.wait("the refusal of the inputs", function()
    return #messages > 0
  end)
  h.facts.invalid_messages = messages
end
