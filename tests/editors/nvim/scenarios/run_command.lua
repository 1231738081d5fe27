-- :ScriptContractRun with JSON on the command line runs without a prompt.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/hello.py")
  h.answer_prompt(function()
    error("no prompt expected when the inputs are given")
  end)
  vim.cmd('ScriptContractRun {"name": "Neovim"}')
  h.wait("the result buffer", function()
    return vim.fn.bufnr("scriptcontract://run/hello.py") ~= -1
  end)
  h.facts.result_lines = vim.api.nvim_buf_get_lines(vim.fn.bufnr("scriptcontract://run/hello.py"), 0, -1, false)
  h.wait("the run's diagnostics", function()
    return #h.diagnostics(bufnr, "scriptcontract-run") > 0
  end)
  h.facts.run_diagnostics = h.diagnostics(bufnr, "scriptcontract-run")
  -- Invalid JSON is refused with a message, nothing is sent.
  local messages = {}
  vim.notify = function(message)
    table.insert(messages, message)
  end
  vim.cmd("ScriptContractRun [1, 2]")
  h.facts.invalid_messages = messages
end
