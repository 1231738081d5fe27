-- User commands of the scriptcontract plugin (the server itself starts through vim.lsp.enable).
if vim.g.loaded_scriptcontract then
  return
end
vim.g.loaded_scriptcontract = true

vim.api.nvim_create_user_command("ScriptContractRun", function(command)
  require("scriptcontract.run").command(vim.api.nvim_get_current_buf(), command.args)
end, { nargs = "?", desc = "scriptcontract: run this script with JSON inputs (prompts when none are given)" })

vim.api.nvim_create_user_command("ScriptContractRunFile", function(command)
  require("scriptcontract.run").run_file(vim.api.nvim_get_current_buf(), command.args)
end, { nargs = "?", complete = "file", desc = "scriptcontract: run this script with the inputs in a JSON file (asks for it when none is given)" })

vim.api.nvim_create_user_command("ScriptContractCreateInputs", function()
  require("scriptcontract.run").create_inputs(vim.api.nvim_get_current_buf())
end, { nargs = 0, desc = "scriptcontract: create <script>.inputs.json from the inputs the script reads" })

vim.api.nvim_create_user_command("ScriptContractCancel", function()
  require("scriptcontract.run").cancel_command(vim.api.nvim_get_current_buf())
end, { nargs = 0, desc = "scriptcontract: stop the run of this script (or the only one in progress)" })

vim.api.nvim_create_user_command("ScriptContractTest", function()
  require("scriptcontract.cases").test(vim.api.nvim_get_current_buf())
end, { nargs = 0, desc = "scriptcontract: run this script's recorded cases, failures in the quickfix list" })

vim.api.nvim_create_user_command("ScriptContractTestAll", function()
  require("scriptcontract.test_all").test_all(vim.api.nvim_get_current_buf())
end, { nargs = 0, desc = "scriptcontract: run every script's recorded cases in the project, failures in the quickfix list" })

vim.api.nvim_create_user_command("ScriptContractDebug", function(command)
  require("scriptcontract.debug").command(vim.api.nvim_get_current_buf(), command.args)
end, { nargs = "?", desc = "scriptcontract: debug this script with JSON inputs through nvim-dap" })

vim.api.nvim_create_user_command("ScriptContractExplore", function(command)
  require("scriptcontract.explore").explore(vim.api.nvim_get_current_buf(), command.args)
end, { nargs = "?", desc = "scriptcontract: run inputs generated from this script's schema (optional seed)" })
vim.api.nvim_create_user_command("ScriptContractDebugCase", function(command)
  require("scriptcontract.debug").debug_case(vim.api.nvim_get_current_buf(), command.args)
end, { nargs = "?", desc = "scriptcontract: debug this script with a recorded case's inputs (the one under the cursor, or named)" })

vim.api.nvim_create_user_command("ScriptContractResult", function()
  require("scriptcontract.run").show_result(vim.api.nvim_get_current_buf())
end, { nargs = 0, desc = "scriptcontract: show this script's last result again in the result window" })

vim.api.nvim_create_user_command("ScriptContractRestart", function()
  require("scriptcontract.server").restart()
end, { nargs = 0, desc = "scriptcontract: restart the language server (its runs end with it)" })

vim.api.nvim_create_user_command("ScriptContractLog", function()
  require("scriptcontract.server").log()
end, { nargs = 0, desc = "scriptcontract: open Neovim's LSP log, where the server's messages are whole" })

-- Code lenses ("▶ Run with inputs", "▶ Run case") without an autocommand of the user's own.
local lenses = vim.api.nvim_create_augroup("scriptcontract_codelens", { clear = true })
for event, action in pairs({ LspAttach = "attach_lenses", LspDetach = "detach_lenses" }) do
  vim.api.nvim_create_autocmd(event, {
    group = lenses,
    callback = function(args)
      local client = vim.lsp.get_client_by_id(args.data.client_id)
      if client and client.name == "scriptcontract" then
        require("scriptcontract")[action](args.buf)
      end
    end,
  })
end
