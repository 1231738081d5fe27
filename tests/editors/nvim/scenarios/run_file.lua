-- :ScriptContractRunFile: the inputs from a JSON file named on the command line (from Neovim's
-- current directory, with file completion), or asked for; a file that is not there is said in
-- one line.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.record_notifications()
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  vim.fn.writefile({ '{"name": "from a file"}' }, workspace .. "/scripts/other.json")
  h.open(workspace .. "/scripts/hello.py")
  h.facts.completion = vim.fn.getcompletion("ScriptContractRunFile scripts/oth", "cmdline")
  vim.cmd("ScriptContractRunFile scripts/other.json")
  h.facts.named = h.result_lines("hello.py", "from a file")
  h.answer_prompt(function()
    return "scripts/hello.inputs.json"
  end)
  vim.cmd("ScriptContractRunFile")
  h.facts.asked = h.result_lines("hello.py", "Lighthouse")
  vim.cmd("ScriptContractRunFile scripts/missing.json")
  h.facts.missing = h.wait_notification("missing%.json").message
end
