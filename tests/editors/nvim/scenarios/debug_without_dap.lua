-- :ScriptContractDebug without nvim-dap says what to install, and sends nothing.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/hello.py")
  h.answer_prompt(function()
    error("no prompt expected without nvim-dap")
  end)
  h.record_notifications()
  vim.cmd("ScriptContractDebug")
  vim.cmd('ScriptContractDebug {"name": "Neovim"}')
end
