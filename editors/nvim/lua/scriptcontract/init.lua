-- scriptcontract for Neovim 0.11+: contract diagnostics, fixes and "Run with inputs" for
-- JSON-in/JSON-out Python workflow scripts.
local M = {}

---@class scriptcontract.Options
---@field cmd? string[]      how to start the server (default: { "scriptcontract", "serve" })
---@field settings? table    server settings: lint = { enabled, run = "onType"|"onSave" },
---                          run = { timeoutMs, python, mode }, severity = {...}, logLevel
---@field result? "split"|"notify"  where a run's full result goes (default "split")
---@field enable? boolean    call vim.lsp.enable("scriptcontract") (default true)
---@field codelens? boolean  keep the code lenses up to date (default true)
---@field inline_result? boolean  a success's outcome beside the entry line as virtual text
---                          (default true; false: only as the server's inlay hint)

---@type { result: "split"|"notify", codelens: boolean, inline_result: boolean }
M.config = { result = "split", codelens = true, inline_result = true }

--- Keeps the code lenses of `bufnr` up to date (Neovim asks for them only when told): on
--- attaching, on entering the buffer, after a write and on leaving insert mode. The run's
--- outcome in "▶ Run with inputs · ✓ 44 ms" comes with the server's refresh.
---@param bufnr integer
function M.attach_lenses(bufnr)
  if not M.config.codelens then
    return
  end
  local group = vim.api.nvim_create_augroup("scriptcontract_codelens_" .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ "BufEnter", "BufWritePost", "InsertLeave" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      vim.lsp.codelens.refresh({ bufnr = bufnr })
    end,
  })
  vim.lsp.codelens.refresh({ bufnr = bufnr })
end

--- The server's workspace/codeLens/refresh: asks again for the lenses of the client's buffers
--- shown in a window (the others are asked for when entered). Answers the request (null).
---@param client_id integer
---@return vim.NIL
function M.refresh_lenses(client_id)
  if M.config.codelens then
    for _, bufnr in ipairs(vim.lsp.get_buffers_by_client_id(client_id)) do
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.fn.bufwinid(bufnr) ~= -1 then
        vim.lsp.codelens.refresh({ bufnr = bufnr })
      end
    end
  end
  return vim.NIL
end

--- Stops keeping the lenses of `bufnr` (the client left it).
---@param bufnr integer
function M.detach_lenses(bufnr)
  pcall(vim.api.nvim_del_augroup_by_name, "scriptcontract_codelens_" .. bufnr)
end

-- What each option of `setup` takes, and how to say so.
local OPTIONS = {
  cmd = {
    function(value)
      return type(value) == "table" and #value > 0 and vim.islist(value)
        and #vim.tbl_filter(function(part) return type(part) ~= "string" end, value) == 0
    end,
    'a list: the command and its arguments, e.g. { "scriptcontract", "serve" }',
  },
  settings = { "table", "a table of server settings, e.g. { run = { timeoutMs = 10000 } }" },
  result = { { split = true, notify = true }, '"split" or "notify"' },
  enable = { "boolean", "true or false" },
  codelens = { "boolean", "true or false" },
  inline_result = { "boolean", "true or false" },
}

--- The distance between two words (insertions, deletions, changes), for "did you mean".
local function distance(a, b)
  local previous = {}
  for j = 0, #b do
    previous[j] = j
  end
  for i = 1, #a do
    local current = { [0] = i }
    for j = 1, #b do
      local change = a:sub(i, i) == b:sub(j, j) and 0 or 1
      current[j] = math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + change)
    end
    previous = current
  end
  return previous[#b]
end

--- The options `setup` can use, and what is wrong with the others (each said, then left out:
--- an error here would stop the rest of the user's init.lua).
---@param opts table
---@return table valid, string[] problems
local function checked(opts)
  local valid, problems = {}, {}
  local names = vim.tbl_keys(OPTIONS)
  table.sort(names)
  for key, value in pairs(opts) do
    local option = OPTIONS[key]
    if option == nil then
      local closest, best = nil, 3
      for _, name in ipairs(names) do
        local d = type(key) == "string" and distance(key, name) or best
        if d < best then
          closest, best = name, d
        end
      end
      local hint = closest and (" (did you mean " .. closest .. "?)") or (" (known: " .. table.concat(names, ", ") .. ")")
      table.insert(problems, "unknown option " .. vim.inspect(key) .. hint)
    else
      local wanted, said = option[1], option[2]
      local ok
      if type(wanted) == "function" then
        ok = wanted(value)
      elseif type(wanted) == "table" then
        ok = wanted[value] == true
      else
        ok = type(value) == wanted
      end
      if ok then
        valid[key] = value
      else
        table.insert(problems, string.format("%s: expected %s, got %s", key, said, vim.inspect(value)))
      end
    end
  end
  return valid, problems
end

--- Configures the server and enables it for Python buffers. A wrong option is said and left
--- out; the others apply.
---@param opts? scriptcontract.Options
function M.setup(opts)
  if opts ~= nil and type(opts) ~= "table" then
    vim.notify("scriptcontract.setup(): expected a table of options, got " .. vim.inspect(opts), vim.log.levels.ERROR)
    opts = {}
  end
  local problems
  opts, problems = checked(opts or {})
  if #problems > 0 then
    vim.notify("scriptcontract.setup(): " .. table.concat(problems, "; ") .. " (left out)", vim.log.levels.ERROR)
  end
  if opts.inline_result ~= nil then
    M.config.inline_result = opts.inline_result
  end
  M.config.result = opts.result or M.config.result
  if opts.codelens ~= nil then
    M.config.codelens = opts.codelens
  end
  local overrides = {}
  if opts.cmd then
    overrides.cmd = opts.cmd
  end
  if opts.settings then
    overrides.settings = { scriptcontract = opts.settings }
  end
  if next(overrides) then
    vim.lsp.config("scriptcontract", overrides)
  end
  if opts.enable ~= false then
    vim.lsp.enable("scriptcontract")
  end
end

return M
